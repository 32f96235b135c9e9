#include "serve/connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <charconv>
#include <filesystem>

namespace headroom::serve {
namespace {

bool port_and_addr(int fd, bool peer, std::string* addr, int* port) {
    sockaddr_in sa{};
    socklen_t size = sizeof sa;
    const int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&sa), &size)
                        : getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &size);
    if (rc != 0 || sa.sin_family != AF_INET) return false;
    *port = ntohs(sa.sin_port);
    if (addr) {
        char text[INET_ADDRSTRLEN];
        if (!inet_ntop(AF_INET, &sa.sin_addr, text, sizeof text)) return false;
        *addr = text;
    }
    return true;
}

} // namespace

int find_connection(const std::string& remote_addr, int remote_port, int local_port) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
        const std::string name = entry.path().filename().string();
        int fd = -1;
        if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc()) continue;
        struct stat st {};
        if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
        std::string addr;
        int port = 0, local = 0;
        if (port_and_addr(fd, true, &addr, &port) && port == remote_port && addr == remote_addr &&
            port_and_addr(fd, false, nullptr, &local) && local == local_port)
            return fd;
    }
    return -1;
}

bool peer_closed(int fd) {
    pollfd p{fd, POLLRDHUP, 0};
    return poll(&p, 1, 0) != 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

void reset_on_close(int fd) {
    const linger abort_on_close{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
}

} // namespace headroom::serve
