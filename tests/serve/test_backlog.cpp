// A sampler opens dozens of connections at once. The kernel must queue them all until
// the server accepts them: a connection dropped from a full backlog looks open to the
// client and fails a second later with no reply (CI saw such failures counted as resets).
#include "support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <thread>
#include <vector>

using namespace headroom::serve;
using namespace headroom::serve::test;

TEST_CASE("a burst of connections waits in the backlog until the server accepts it", "[serve][backlog]") {
    server http(skeleton_pool(), running_server::quiet());
    const int port = http.bind(0);

    // Nothing accepts yet, so every connection that completes sits in the backlog (which
    // the kernel caps at net.core.somaxconn, 4096 by default).
    constexpr int burst = 64;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // Closed before the server runs (each would hold one of its threads), or on a failure.
    struct open_sockets : std::vector<pollfd> {
        void close_all() {
            for (const auto& s : *this) close(s.fd);
            clear();
        }
        ~open_sockets() { close_all(); }
    } sockets;
    for (int i = 0; i < burst; ++i) {
        const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        REQUIRE(fd >= 0);
        sockets.push_back({fd, POLLOUT, 0});
        const int rc = connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to);
        REQUIRE((rc == 0 || errno == EINPROGRESS));
    }
    // A handshake on loopback takes microseconds; a dropped SYN is sent again after 1 s.
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    int connected = 0;
    for (auto& s : sockets) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        int error = -1;
        socklen_t size = sizeof error;
        if (poll(&s, 1, static_cast<int>(std::max<long long>(0, left.count()))) == 1 &&
            getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0)
            ++connected;
    }
    CHECK(connected == burst);
    sockets.close_all();

    // The server then serves as usual (and stop() needs it listening).
    std::thread serving([&] { http.run(); });
    httplib::Client probe("127.0.0.1", port);
    bool up = false;
    for (int i = 0; i < 500 && !up; ++i) {
        const auto res = probe.Get("/health");
        up = res && res->status == 200;
        if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(up);
    http.stop();
    serving.join();
}
