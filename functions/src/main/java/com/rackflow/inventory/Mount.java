package com.rackflow.inventory;

import java.util.List;

/** Where in the rack a device sits: front rails, rear rails, or the full depth (both faces of each U). */
public enum Mount {
    FRONT("前面板"), REAR("后面板"), FULL_DEPTH("全深度");

    private final String labelZh;

    Mount(String labelZh) {
        this.labelZh = labelZh;
    }

    public String labelZh() {
        return labelZh;
    }

    /** The rack faces (FRONT, REAR) one U of this mount occupies; each is one guard item. */
    public List<String> faces() {
        return this == FULL_DEPTH ? List.of("FRONT", "REAR") : List.of(name());
    }
}
