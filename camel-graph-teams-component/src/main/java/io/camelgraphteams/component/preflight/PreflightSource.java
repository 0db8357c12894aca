package io.camelgraphteams.component.preflight;

import java.util.List;

/** What can run the preflight of every graph-teams endpoint it serves (the component), for the dev console. */
public interface PreflightSource {

    /** One report per endpoint, in the order the endpoints were created. */
    List<PreflightReport> preflightReports() throws InterruptedException;
}
