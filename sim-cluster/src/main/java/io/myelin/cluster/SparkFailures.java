package io.myelin.cluster;

import io.myelin.core.InvalidInputException;

/**
 * The one line a user needs from a Spark failure: the message of the exception that failed the task (Spark sends it
 * back as the cause of the job's failure, or in the failure's text), not Spark's wrapping and stack traces.
 */
public final class SparkFailures {
    private SparkFailures() {
    }

    public static String message(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InvalidInputException) {
                return c.getMessage();
            }
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // "Job aborted due to stage failure: Task 0 in stage 3.0 failed 4 times, most recent failure: Lost task 0.3
        // in stage 3.0 (TID 7) (host executor 1): java.lang.IllegalStateException: what went wrong\n\tat ..."
        int recent = text.indexOf("most recent failure:");
        if (recent >= 0) {
            String tail = text.substring(recent);
            int nl = tail.indexOf('\n');
            String first = nl < 0 ? tail : tail.substring(0, nl);
            int cls = first.indexOf("): ");
            String what = cls < 0 ? first : first.substring(cls + 3);
            int colon = what.indexOf(": ");
            if (colon > 0 && what.substring(0, colon).matches("[\\w.$]+")) {
                what = what.substring(colon + 2);
            }
            return what.trim();
        }
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).trim();
    }
}
