package io.camelgraphteams.faults.support;

import java.nio.file.Path;
import java.util.List;

/**
 * A file the app appends one {@link SinkLine} to per exchange, with Camel's file component
 * ({@code fileExist=Append}; Camel locks the file per write, and forces each write to disk).
 */
public record FileSink(Path file) {

    /** The Camel endpoint that appends to the file. */
    public String uri() {
        return "file:" + file.getParent().toAbsolutePath() + "?fileName=" + file.getFileName() + "&fileExist=Append";
    }

    public List<SinkLine> lines() {
        return SinkLine.readFile(file);
    }
}
