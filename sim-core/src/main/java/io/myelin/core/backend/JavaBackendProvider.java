package io.myelin.core.backend;

/** Provides the pure-Java reference backend; always available. */
public final class JavaBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "java";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public boolean isGpu() {
        return false;
    }

    @Override
    public Backend create(BackendOptions options) {
        return new JavaBackend(options.threads());
    }
}
