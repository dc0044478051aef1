package com.rackflow.access;

import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.Table;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;

/**
 * The caller as the staff directory knows them at this request. API Gateway caches the authorizer's decision per
 * token (ReauthorizeEvery, 300 s), and a TOKEN authorizer's cache key is the token alone, so a departure or a role
 * change cannot reach the cached decision. Every API function therefore reads the caller's profile (one GetItem) and
 * acts on its current status, role and department: a disabled or removed user is refused at once, a demoted one gets
 * the new role's modules and scopes. The authorizer stays the gate for the token itself. A request that may write reads
 * the profile strongly consistent (its rights decide the write); a GET only shows what the caller may see and reads it
 * eventually consistent (half the read units; DynamoDB's replicas agree within about a second, against the 300 s the
 * authorizer's decision is cached).
 */
public final class CurrentCaller {
    private final StaffDirectory directory;

    public CurrentCaller(Table table) {
        this.directory = new StaffDirectory(table);
    }

    /** The verified identity with today's role and department; 401 when the user is unknown or no longer ACTIVE. */
    public Caller resolve(Caller claimed, boolean mayWrite) {
        StaffUser u = directory.user(claimed.userId(), mayWrite ? Table.Read.STRONG : Table.Read.EVENTUAL).filter(StaffUser::isActive)
                .orElseThrow(() -> ApiException.unauthorizedUser());
        return new Caller(u.userId(), u.role(), u.departmentId(), u.displayName());
    }
}
