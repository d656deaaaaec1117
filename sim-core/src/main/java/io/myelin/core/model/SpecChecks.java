package io.myelin.core.model;

import io.myelin.core.InvalidInputException;

/** Validation of spec numbers with messages that name the offending field. */
final class SpecChecks {
    private SpecChecks() {
    }

    static void finite(String field, double v) {
        if (!Double.isFinite(v)) {
            throw new InvalidInputException(field + " must be a finite number, got " + v);
        }
    }

    static void positive(String field, double v) {
        finite(field, v);
        if (v <= 0) {
            throw new InvalidInputException(field + " must be > 0, got " + v);
        }
    }

    static void nonNegative(String field, double v) {
        finite(field, v);
        if (v < 0) {
            throw new InvalidInputException(field + " must be >= 0, got " + v);
        }
    }

    static void probability(String field, double v) {
        finite(field, v);
        if (v < 0 || v > 1) {
            throw new InvalidInputException(field + " must be a probability in [0, 1], got " + v);
        }
    }

    static void notBlank(String field, String v) {
        if (v == null || v.isBlank()) {
            throw new InvalidInputException(field + " is missing");
        }
    }
}
