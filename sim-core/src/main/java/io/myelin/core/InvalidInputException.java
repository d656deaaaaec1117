package io.myelin.core;

/**
 * Bad input from a user: a malformed spec, a corrupt data file, an unknown backend name, NaN where a number is needed.
 * The message is written for the person who supplied the input and names what is wrong and where; the command line
 * prints it as one line without a stack trace.
 */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
