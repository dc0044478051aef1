package com.rackflow.local.stack.template;

/** The template cannot be read or evaluated as the local stack needs it; the message names the place. */
public class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
