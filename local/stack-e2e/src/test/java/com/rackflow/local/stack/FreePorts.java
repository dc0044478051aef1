package com.rackflow.local.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds ports for tests that take one port of a range on purpose and need the rest of it free. */
final class FreePorts {

    private FreePorts() {
    }

    /** A first port whose next {@code size - 1} ports are free too, at the moment of asking. */
    static int range(int size) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                base = probe.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("no free port", e);
            }
            if (base + size <= 65536 && allFree(base, size)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + size + " consecutive free ports found");
    }

    private static boolean allFree(int base, int size) {
        for (int port = base; port < base + size; port++) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                probe.setReuseAddress(true);
            } catch (IOException inUse) {
                return false;
            }
        }
        return true;
    }
}
