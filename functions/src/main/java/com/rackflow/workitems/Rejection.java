package com.rackflow.workitems;

/** Why a flow ended early: the stage, the reason, who and when (or the failure for a FAILED flow). */
public record Rejection(String stage, String reason, String by, String at) {
}
