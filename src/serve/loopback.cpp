#include "serve/loopback.h"

#include <httplib.h>

#include <sys/socket.h>

namespace headroom::serve {

int bind_loopback(httplib::Server& http, int port) {
    int listening = -1;
    http.set_socket_options([&listening](int sock) {
        httplib::default_socket_options(sock);
        listening = sock;
    });
    const int bound = port == 0 ? http.bind_to_any_port("127.0.0.1") : (http.bind_to_port("127.0.0.1", port) ? port : -1);
    http.set_socket_options(httplib::default_socket_options);
    if (bound <= 0 || listening < 0 || ::listen(listening, SOMAXCONN) != 0) return -1;
    return bound;
}

} // namespace headroom::serve
