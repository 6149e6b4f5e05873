package dev.phaseline.benchmarks;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 keep-alive client on one blocking socket, for load generation: it writes a request from a few
 * pre-encoded parts and reads the status, the one header it is asked for and the body (Content-Length or chunked). It
 * costs a few microseconds of CPU per request, where {@code java.net.http} costs about as much as the server route,
 * so the server keeps the cores it is measured on. One instance per thread; not thread-safe.
 */
final class LeanHttpClient implements AutoCloseable {

    /** A response: the status, the value of the one header asked for (or {@code null}), the body. */
    record Response(int status, String header, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private final byte[] hostHeader;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final byte[] line = new byte[8192];
    private byte[] request = new byte[4096];

    LeanHttpClient(String host, int port) {
        this.host = host;
        this.port = port;
        this.hostHeader = ("Host: " + host + ":" + port + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param head        the request line and headers up to (without) Host, e.g. {@code "POST /x HTTP/1.1\r\n"}
     *                    plus any constant headers, each ending in CRLF
     * @param body        the body, or {@code null} for none (then Content-Length: 0)
     * @param wantHeader  the lower-case name of one response header to return, or {@code null}
     */
    Response send(byte[] head, byte[] body, String wantHeader) throws IOException {
        connectIfNeeded();
        int bodyLength = body == null ? 0 : body.length;
        byte[] length = ("Content-Length: " + bodyLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        int size = head.length + hostHeader.length + length.length + bodyLength;
        if (request.length < size) {
            request = new byte[size * 2];
        }
        int at = 0;
        System.arraycopy(head, 0, request, at, head.length);
        at += head.length;
        System.arraycopy(hostHeader, 0, request, at, hostHeader.length);
        at += hostHeader.length;
        System.arraycopy(length, 0, request, at, length.length);
        at += length.length;
        if (body != null) {
            System.arraycopy(body, 0, request, at, bodyLength);
            at += bodyLength;
        }
        try {
            out.write(request, 0, at);
            out.flush();
            return read(wantHeader);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private Response read(String wantHeader) throws IOException {
        String status = readLine();
        if (status.length() < 12 || !status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean close = false;
        String wanted = null;
        for (String header = readLine(); !header.isEmpty(); header = readLine()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> {
                }
            }
            if (name.equals(wantHeader)) {
                wanted = value;
            }
        }
        byte[] body;
        if (chunked) {
            java.io.ByteArrayOutputStream collected = new java.io.ByteArrayOutputStream();
            for (int size = Integer.parseInt(readLine().split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(readLine().split(";")[0].trim(), 16)) {
                collected.write(in.readNBytes(size));
                readLine();
            }
            for (String trailer = readLine(); !trailer.isEmpty(); trailer = readLine()) {
                // trailers are not used
            }
            body = collected.toByteArray();
        } else if (contentLength >= 0) {
            body = in.readNBytes((int) contentLength);
            if (body.length != contentLength) {
                throw new EOFException("body ended early");
            }
        } else if (code == 204 || code == 304) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
            close = true;
        }
        if (close) {
            close();
        }
        return new Response(code, wanted, body);
    }

    private String readLine() throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b == '\n') {
                int end = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                return new String(line, 0, end, StandardCharsets.ISO_8859_1);
            }
            if (n == line.length) {
                throw new IOException("header line too long");
            }
            line[n++] = (byte) b;
        }
    }

    private void connectIfNeeded() throws IOException {
        if (socket != null) {
            return;
        }
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5_000);
        socket = s;
        out = s.getOutputStream();
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket that failed; nothing to do
            }
            socket = null;
        }
    }
}
