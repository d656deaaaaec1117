package io.myelin.cluster;

import io.myelin.core.InvalidInputException;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Paths that every node of a cluster must see: a mounted file system, named by the same path everywhere. A Hadoop
 * file system URI ({@code hdfs://}, {@code s3a://}) is refused in one line (docs/cluster.md says why and what to
 * mount instead); relative paths are made absolute here, on the driver, as executors resolve them elsewhere.
 */
public final class SharedPaths {
    private static final Pattern URI = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:/.*");

    private SharedPaths() {
    }

    /** {@code p} absolute; null stays null. */
    public static Path of(String option, Path p) {
        if (p == null) {
            return null;
        }
        String s = p.toString();
        if (URI.matcher(s).matches() && !s.startsWith("file:")) {
            throw new InvalidInputException(option + " " + s.replaceFirst(":/", "://") + ": Hadoop file system URIs"
                    + " are not read directly; mount the storage at the same path on every node (HDFS NFS gateway,"
                    + " Mountpoint for S3, s3fs) and give that path (docs/cluster.md)");
        }
        return (s.startsWith("file:") ? Path.of(java.net.URI.create(s.replaceFirst("^file:/+", "file:///"))) : p)
                .toAbsolutePath().normalize();
    }
}
