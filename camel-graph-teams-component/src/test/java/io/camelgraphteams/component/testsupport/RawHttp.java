package io.camelgraphteams.component.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately minimal HTTP/1.1 client on a plain socket, for requests no well-behaved client sends: any method,
 * a request target written byte for byte (malformed escapes, overlong lines), any headers (a Content-Length that lies,
 * Expect: 100-continue), a chunked body. Every request uses its own connection with {@code Connection: close}; the
 * response is read until the server closes it, or for at most {@code timeoutMillis} (a hang fails the read).
 */
public final class RawHttp {

    /** What the server answered. {@code headers} are keyed in lower case. */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One request as written on the wire. {@code isChunked}: send the body with Transfer-Encoding chunked. */
    public record Request(String method, String target, Map<String, String> headers, byte[] body, boolean isChunked,
                          boolean contentLength) {

        public static Request post(String target, String contentType, byte[] body) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
            return new Request("POST", target, headers, body, false, true);
        }

        public static Request of(String method, String target) {
            return new Request(method, target, new LinkedHashMap<>(), new byte[0], false, true);
        }

        public Request header(String name, String value) {
            Map<String, String> copy = new LinkedHashMap<>(headers);
            copy.put(name, value);
            return new Request(method, target, copy, body, isChunked, contentLength);
        }

        public Request withTarget(String otherTarget) {
            return new Request(method, otherTarget, headers, body, isChunked, contentLength);
        }

        public Request chunked() {
            return new Request(method, target, headers, body, true, false);
        }

        /** Without a Content-Length header (with an empty body, or one the server must frame by closing). */
        public Request withoutContentLength() {
            return new Request(method, target, headers, body, false, false);
        }
    }

    private RawHttp() {
    }

    public static Response send(int port, Request request, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder();
            head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            head.append("Connection: close\r\n");
            request.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (request.isChunked()) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else if (request.contentLength() && !request.headers().containsKey("Content-Length")) {
                head.append("Content-Length: ").append(request.body().length).append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            try {
                if (request.isChunked()) {
                    writeChunked(out, request.body());
                } else {
                    out.write(request.body());
                }
                out.flush();
            } catch (IOException e) {
                // the server may answer (413) and close before the whole body is written: read what it said
            }
            return read(socket.getInputStream());
        }
    }

    private static void writeChunked(OutputStream out, byte[] body) throws IOException {
        int chunk = 8192;
        for (int offset = 0; offset < body.length; offset += chunk) {
            int length = Math.min(chunk, body.length - offset);
            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, offset, length);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int headEnd = -1;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            all.write(buffer, 0, n);
            byte[] soFar = all.toByteArray();
            if (headEnd < 0) {
                headEnd = indexOf(soFar, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            if (headEnd >= 0) {
                Map<String, String> headers = parseHeaders(soFar, headEnd);
                String length = headers.get("content-length");
                if (length != null && soFar.length >= headEnd + 4 + Integer.parseInt(length.trim())) {
                    break;
                }
            }
        }
        byte[] bytes = all.toByteArray();
        if (headEnd < 0) {
            throw new IOException("connection closed without a complete HTTP response (" + bytes.length + " bytes)");
        }
        String statusLine = new String(bytes, 0, indexOf(bytes, "\r\n".getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Map<String, String> headers = parseHeaders(bytes, headEnd);
        byte[] body = java.util.Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            body = java.util.Arrays.copyOf(body, Math.min(body.length, Integer.parseInt(headers.get("content-length").trim())));
        }
        return new Response(status, headers, body);
    }

    private static Map<String, String> parseHeaders(byte[] bytes, int headEnd) {
        String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int position = 0;
        while (position < body.length) {
            int lineEnd = indexOf(java.util.Arrays.copyOfRange(body, position, body.length),
                    "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(body, position, lineEnd, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            position += lineEnd + 2;
            if (size == 0) {
                break;
            }
            out.write(body, position, Math.min(size, body.length - position));
            position += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
