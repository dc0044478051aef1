package com.rackflow.racking;

/** A customer device: planned (model, height) when the flow starts; racked (serial, U position) when confirmed. */
public record Device(String model, String serial, Integer uHeight, Integer u) {
}
