package io.myelin.core.backend;

import io.myelin.core.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * Finds backends by name. {@code "java"} is always there; {@code "opencl"} when sim-kernels is on the class path and
 * a platform exists; {@code "auto"} takes a GPU backend if one is available and otherwise the Java backend, and
 * logs one line saying which device it chose and why.
 */
public final class Backends {
    private static final Logger LOG = Logger.getLogger(Backends.class.getName());

    private Backends() {
    }

    /** All providers on the class path, Java first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        list.add(new JavaBackendProvider());
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (!p.name().equals("java")) {
                list.add(p);
            }
        }
        return list;
    }

    /** Names accepted by {@link #select(String, BackendOptions)}. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        names.add("auto");
        for (BackendProvider p : providers()) {
            names.add(p.name());
        }
        return names;
    }

    /**
     * Checks a backend name without creating the backend (what a command does before any work): an unknown name is an
     * error listing the known ones, a known one that cannot run here an error with the reason.
     *
     * @return the name, normalised
     */
    public static String checkName(String name) {
        String key = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        if (key.equals("auto")) {
            return key;
        }
        for (BackendProvider p : providers()) {
            if (p.name().equals(key)) {
                if (!p.isAvailable()) {
                    throw new InvalidInputException("backend '" + key + "' is not available here: " + p.unavailableReason());
                }
                return key;
            }
        }
        throw new InvalidInputException("unknown backend '" + name + "'; available: " + names());
    }

    public static Backend select(String name) {
        return select(name, BackendOptions.defaults());
    }

    /**
     * @throws InvalidInputException for an unknown name (listing the known ones) or a backend that cannot run here
     *                               (with the reason; never a silent fallback)
     */
    public static Backend select(String name, BackendOptions options) {
        String key = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        List<BackendProvider> providers = providers();
        if (key.equals("auto")) {
            return selectAuto(providers, options);
        }
        for (BackendProvider p : providers) {
            if (p.name().equals(key)) {
                if (!p.isAvailable()) {
                    throw new InvalidInputException("backend '" + key + "' is not available here: " + p.unavailableReason());
                }
                return p.create(options);
            }
        }
        throw new InvalidInputException("unknown backend '" + name + "'; available: " + names());
    }

    /**
     * The {@code "auto"} rule over the given providers: the first GPU provider that is available and creates a
     * backend (its failure, e.g. a kernel build error, is logged and skipped), else the Java backend. Public so
     * that providers can test their fallback.
     */
    public static Backend selectAuto(List<BackendProvider> providers, BackendOptions options) {
        StringBuilder why = new StringBuilder();
        for (BackendProvider p : providers) {
            if (p.isGpu()) {
                if (p.isAvailable()) {
                    try {
                        Backend b = p.create(options);
                        LOG.info("backend auto: using " + b.name() + " on " + b.device());
                        return b;
                    } catch (RuntimeException e) {
                        why.append(p.name()).append(" failed: ").append(e.getMessage()).append("; ");
                    }
                } else {
                    why.append(p.name()).append(": ").append(p.unavailableReason()).append("; ");
                }
            }
        }
        Backend java = new JavaBackendProvider().create(options);
        LOG.info("backend auto: using " + java.device() + (why.isEmpty() ? " (no GPU backend installed)"
                : " (no GPU: " + why.substring(0, why.length() - 2) + ")"));
        return java;
    }
}
