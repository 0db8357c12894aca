package io.camelgraphteams.springboot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import io.camelgraphteams.component.GraphTeamsComponent;
import io.camelgraphteams.component.webhook.UploadAdmission;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
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
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Judges a POST to a graph-teams path before Spring MVC reads its body, as graph-teams' own server would: Camel's
 * servlet binding reads a request's whole body before graph-teams sees the exchange, so on a servlet container this is
 * where a body can be refused unread (503 while the consumer is not accepting or the byte budget is spent, 415 not
 * JSON, 413 over maxBodySize from its Content-Length) and where its share of the byte budget is taken. A chunked body
 * is read here up to the limit (one more byte tells it is too large) and handed on from memory. The admission (its
 * budget, and its arrival, from which the answer deadline counts) travels to the consumer by a ticket header; what
 * the consumer does not claim is given back when the request is done. Every other request passes untouched.
 */
public class GraphTeamsUploadFilter implements Filter {

    private final CamelContext camelContext;

    public GraphTeamsUploadFilter(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !"POST".equals(http.getMethod())
            || !(camelContext.hasComponent("graph-teams") instanceof GraphTeamsComponent component)) {
            chain.doFilter(request, response);
            return;
        }
        String path = matchedPath(http);
        if (isHandshake(http.getQueryString()) && component.admitsUploads(path)) {
            // Graph's validation handshake has no body, and is answered from its query alone: none is read
            chain.doFilter(new WithTicket(http, null, new byte[0]), response);
            return;
        }
        UploadAdmission admission = component.admitUpload(path, http.getContentType(), http.getContentLengthLong());
        if (admission == null) {
            // not a graph-teams path: a ticket a client made up is no admission (tickets are random and good once)
            chain.doFilter(request, response);
            return;
        }
        boolean handedOn = false;
        try {
            if (!admission.isAdmitted()) {
                answer((HttpServletResponse) response, admission.status(), admission.text());
                return;
            }
            byte[] body = null;
            if (http.getContentLengthLong() < 0) {
                try (InputStream in = http.getInputStream()) {
                    body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, admission.limit() + 1));
                }
                if (body.length > admission.limit()) {
                    component.refusedOversizedBody(path);
                    answer((HttpServletResponse) response, 413, "notification batch too large");
                    return;
                }
            }
            chain.doFilter(new WithTicket(http, admission.ticket(), body), response);
            if (http.isAsyncStarted()) {
                // Spring MVC goes on with the request on another thread (camel's platform-http consumer reads the
                // body there): the admission holds until the request is done
                http.getAsyncContext().addListener(new ClosesAdmission(admission));
                handedOn = true;
            }
        } finally {
            if (!handedOn) {
                admission.close();
            }
        }
    }

    /** Gives an admission's budget back once an asynchronous request is done, however it ended. */
    private record ClosesAdmission(UploadAdmission admission) implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            admission.close();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            admission.close();
        }

        @Override
        public void onError(AsyncEvent event) {
            admission.close();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // started again (a re-dispatch): still the same request, still listened to
            event.getAsyncContext().addListener(this);
        }
    }

    /**
     * The path as Spring MVC matches it to a handler: within the application and the dispatcher's servlet mapping,
     * decoded, without ;parameters (so that "/graph/notification%73;x=1" is judged as "/graph/notifications").
     */
    static String matchedPath(HttpServletRequest request) {
        boolean parsed = ServletRequestPathUtils.hasParsedRequestPath(request);
        RequestPath requestPath = ServletRequestPathUtils.parseAndCache(request);
        if (!parsed) {
            // the dispatcher parses it again for itself
            ServletRequestPathUtils.clearParsedRequestPath(request);
        }
        StringBuilder path = new StringBuilder();
        for (PathContainer.Element element : requestPath.pathWithinApplication().elements()) {
            if (element instanceof PathContainer.PathSegment segment) {
                path.append('/').append(segment.valueToMatch());
            }
        }
        return path.isEmpty() ? "/" : path.toString();
    }

    private static boolean isHandshake(String query) {
        return query != null && (query.startsWith("validationToken=") || query.contains("&validationToken="));
    }

    private static void answer(HttpServletResponse response, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        // the body was not read (or not all of it): Tomcat closes the connection rather than read the rest
        response.setHeader("Connection", "close");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * The request as the consumer sees it: the admission's ticket in place of any the client sent, and, when the
     * filter read a chunked body, that body from memory.
     */
    private static final class WithTicket extends HttpServletRequestWrapper {

        private final String ticket;
        private final byte[] body;

        WithTicket(HttpServletRequest request, String ticket, byte[] body) {
            super(request);
            this.ticket = ticket;
            this.body = body;
        }

        @Override
        public String getHeader(String name) {
            return isTicket(name) ? ticket : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return isTicket(name) ? Collections.enumeration(ticket == null ? List.of() : List.of(ticket))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (Enumeration<String> all = super.getHeaderNames(); all.hasMoreElements(); ) {
                String name = all.nextElement();
                if (!isTicket(name)) {
                    names.add(name);
                }
            }
            if (ticket != null) {
                names.add(UploadAdmission.TICKET_HEADER);
            }
            return Collections.enumeration(names);
        }

        private static boolean isTicket(String name) {
            return UploadAdmission.TICKET_HEADER.equalsIgnoreCase(name);
        }

        @Override
        public int getContentLength() {
            return body != null ? body.length : super.getContentLength();
        }

        @Override
        public long getContentLengthLong() {
            return body != null ? body.length : super.getContentLengthLong();
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            return body != null ? new ReadBody(body) : super.getInputStream();
        }
    }

    /** A body the filter read already, served from memory. */
    private static final class ReadBody extends ServletInputStream {

        private final ByteArrayInputStream in;

        ReadBody(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

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
    }
}
