package io.camelgraphteams.springboot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import io.camelgraphteams.component.GraphTeamsComponent;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;

/**
 * Refuses a notification batch over its consumer's maxBodySize (413) before Spring MVC reads it: Camel's servlet
 * binding reads a request's whole body before graph-teams sees the exchange, so on a servlet container this is where
 * the limit can hold. A declared Content-Length is judged before a byte is read; a chunked body is read here up to
 * the limit (one more byte tells), and handed on from memory. Every other request passes untouched.
 */
public class GraphTeamsUploadFilter implements Filter {

    private static final byte[] TOO_LARGE = "notification batch too large".getBytes(StandardCharsets.UTF_8);

    private final CamelContext camelContext;

    public GraphTeamsUploadFilter(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !"POST".equals(http.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        Component component = camelContext.hasComponent("graph-teams");
        String path = http.getRequestURI().substring(http.getContextPath().length());
        OptionalLong limit = component instanceof GraphTeamsComponent graphTeams
                ? graphTeams.servedBodyLimit(path) : OptionalLong.empty();
        if (limit.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        long declared = http.getContentLengthLong();
        if (declared > limit.getAsLong()) {
            refuse((GraphTeamsComponent) component, path, (HttpServletResponse) response);
            return;
        }
        if (declared >= 0) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body;
        try (InputStream in = http.getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit.getAsLong() + 1));
        }
        if (body.length > limit.getAsLong()) {
            refuse((GraphTeamsComponent) component, path, (HttpServletResponse) response);
            return;
        }
        chain.doFilter(new ReadBody(http, body), response);
    }

    private static void refuse(GraphTeamsComponent component, String path, HttpServletResponse response)
            throws IOException {
        component.refusedOversizedBody(path);
        response.setStatus(413);
        response.setContentType("text/plain; charset=utf-8");
        // the rest of the upload is not wanted: Tomcat closes the connection rather than read it
        response.setHeader("Connection", "close");
        response.setContentLength(TOO_LARGE.length);
        response.getOutputStream().write(TOO_LARGE);
    }

    /** A request whose body was read already, served from memory. */
    private static final class ReadBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body was read already");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }
            };
        }
    }
}
