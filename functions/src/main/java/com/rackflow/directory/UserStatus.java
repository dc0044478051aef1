package com.rackflow.directory;

/** ACTIVE staff may sign in; DEPARTED (离职) staff may not, whatever token they hold. */
public enum UserStatus {
    ACTIVE("在职"), DEPARTED("离职");

    private final String labelZh;

    UserStatus(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }
}
