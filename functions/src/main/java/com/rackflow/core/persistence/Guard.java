package com.rackflow.core.persistence;

/**
 * A unique value (查重 claims, serials, open-flow markers ...): one item {@code GUARD#<kind>#<value>} naming the
 * record that holds it. Claimed and released only inside a {@link UnitOfWork}, together with its holder's write.
 */
public record Guard(String kind, String value) {
    public Key key() {
        return Keys.guard(kind, value);
    }
}
