package io.roadneg.cli;

import io.roadneg.datasets.Provenance;
import picocli.CommandLine.IVersionProvider;

/** Reports the build version (and git commit, from the launcher) and the Java runtime. */
public class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        Provenance.Environment e = Provenance.Environment.current();
        return new String[] {"gen (roadneg) " + e.version() + (e.commit() == null ? "" : " (" + e.commit() + ")"),
            "Java " + e.java()};
    }
}
