package org.ngvi.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A free TCP port on 127.0.0.1, picked at run time (the cluster never uses fixed ports). */
final class FreePorts {
    private FreePorts() {
    }

    /** A port that was free a moment ago (the OS's choice for port 0). */
    static int pick() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a socket on 127.0.0.1 to find a free port", e);
        }
    }
}
