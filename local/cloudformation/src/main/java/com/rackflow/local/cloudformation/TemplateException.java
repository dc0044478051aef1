package com.rackflow.local.cloudformation;

/** The template cannot be read or evaluated as its reader needs it; the message names the place. */
public class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
