package io.myelin.examples.faults;

/**
 * How one fault case ended. The first three are what an untrusted file may lead to; the others are failures of
 * Myelin that the fault suite exists to find.
 */
public enum Outcome {
    /** Read, and the contents equal the original's: the mutation hit bytes the reader does not use. */
    READ_SAME("read, same contents", true),
    /** Read, with other contents: the mutation made another valid file (a flipped spike time, a label). */
    READ_CHANGED("read, other valid contents", true),
    /** Refused with one clear line (an {@code InvalidInputException} naming the file). */
    REFUSED("refused with one clear line", true),
    /** Refused, but the message is not one line naming the file. */
    UNCLEAR("refused, message unclear", false),
    /** Any other exception: the user would see "internal error" (a stack trace with MYELIN_DEBUG). */
    CRASH("internal error (stack trace)", false),
    /** An {@link OutOfMemoryError}: a declared size was believed. */
    OUT_OF_MEMORY("out of memory", false),
    /** Did not end within the time limit. */
    HANG("hang", false);

    private final String words;
    private final boolean acceptable;

    Outcome(String words, boolean acceptable) {
        this.words = words;
        this.acceptable = acceptable;
    }

    public String words() {
        return words;
    }

    /** Whether a user may meet it: a read or one clear error. */
    public boolean acceptable() {
        return acceptable;
    }
}
