// A cpp-httplib server bound to loopback, ready for a burst of connections: the
// simulated endpoint and the sampler's tests and benchmark serve through it.
#pragma once

namespace httplib {
class Server;
}

namespace headroom::serve {

// Binds `http` to 127.0.0.1:port (0: any free port) and returns the port, or -1.
// cpp-httplib listens with a backlog of 5, compiled into Debian's library: a client that
// opens dozens of connections at once overflows it, and the kernel drops connections the
// client already counts as open, which then fail about a second later with no reply.
// Linux raises a listening socket's backlog when it listens again, so this does.
int bind_loopback(httplib::Server& http, int port);

} // namespace headroom::serve
