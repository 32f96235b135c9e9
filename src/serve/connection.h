// The TCP connection behind a request. cpp-httplib hands handlers the peer's address
// but not the socket, and two faults need the socket itself: a hang must notice when
// the client gives up, and a reset must close with RST instead of FIN. Linux only.
#pragma once
#include <string>

namespace headroom::serve {

// The descriptor of this process's socket connected from remote_addr:remote_port to
// local_port, or -1. Scans /proc/self/fd: fine for the rare faulted request.
int find_connection(const std::string& remote_addr, int remote_port, int local_port);

// Whether the client closed its side (or the connection broke).
bool peer_closed(int fd);

// Makes the coming close() send RST (SO_LINGER with a zero timeout): the client sees
// "connection reset by peer", as when a proxy or a crashed server drops it.
void reset_on_close(int fd);

} // namespace headroom::serve
