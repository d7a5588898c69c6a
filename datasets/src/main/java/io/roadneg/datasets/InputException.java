package io.roadneg.datasets;

import java.nio.file.Path;

/**
 * Bad input from the user or a dataset: names the file, the field and the offending value, so the CLI can print it as
 * one line and exit with code 2.
 */
public class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String field;
    private final String value;

    /**
     * @param file the file at fault, or null when the input is not a file (an option, say)
     * @param field the field, key or option at fault, or null
     * @param value the offending value, or null
     * @param problem what is wrong, in a few words
     */
    public InputException(Path file, String field, Object value, String problem) {
        this(file, field, value, problem, null);
    }

    /** As {@link #InputException(Path, String, Object, String)}, keeping the underlying cause for {@code -v}. */
    public InputException(Path file, String field, Object value, String problem, Throwable cause) {
        super(format(file, field, value, problem), cause);
        this.file = file;
        this.field = field;
        this.value = value == null ? null : String.valueOf(value);
    }

    /** The file at fault, or null. */
    public Path file() {
        return file;
    }

    /** The field at fault, or null. */
    public String field() {
        return field;
    }

    /** The offending value as text, or null. */
    public String value() {
        return value;
    }

    private static String format(Path file, String field, Object value, String problem) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file).append(": ");
        }
        if (field != null) {
            sb.append(field);
            if (value != null) {
                sb.append(" = ").append(abbreviate(String.valueOf(value)));
            }
            sb.append(": ");
        } else if (value != null) {
            sb.append(abbreviate(String.valueOf(value))).append(": ");
        }
        sb.append(problem);
        return sb.toString().replace('\n', ' ');
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
