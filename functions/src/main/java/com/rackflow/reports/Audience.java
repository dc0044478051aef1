package com.rackflow.reports;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Role;
import com.rackflow.access.Scope;

import java.util.function.Function;

/**
 * Whom a report is for: the department it covers ({@code null} = the whole company) and the scope each kind of
 * record is counted in. For a caller the scopes come from {@link AccessPolicy#reportScope}; a scheduled job
 * computes for the company and for each department as their managers would see it.
 */
public record Audience(String departmentId, Function<RecordKind, Scope> scopes) {

    /** 403 for a role without reports or a manager naming another department (checked at once, not on first use). */
    public static Audience of(Caller caller, String departmentId) {
        String dept = caller.role() == Role.ADMIN ? departmentId : caller.departmentId();
        for (ReportKind k : ReportKind.values()) {
            AccessPolicy.reportScope(caller, k.counts(), departmentId);
        }
        return new Audience(dept, kind -> AccessPolicy.reportScope(caller, kind, departmentId));
    }

    public static Audience company() {
        return new Audience(null, kind -> new Scope.All());
    }

    public static Audience department(String departmentId) {
        return new Audience(departmentId, kind -> new Scope.Department(departmentId));
    }

    public Scope scope(RecordKind kind) {
        return scopes.apply(kind);
    }

    /** {@code ALL} or {@code DEPT#<d>}: the scope part of snapshot keys and the {@code scope} of answers. */
    public String key() {
        return departmentId == null ? "ALL" : "DEPT#" + departmentId;
    }
}
