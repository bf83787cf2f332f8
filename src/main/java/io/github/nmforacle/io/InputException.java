package io.github.nmforacle.io;

/**
 * Bad user input (a file or an option): the message is one line that names the source and the problem.
 * The command line prints it and exits with status 2; nothing else catches it.
 */
public final class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
