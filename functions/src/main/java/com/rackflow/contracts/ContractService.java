package com.rackflow.contracts;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.RecordKind;
import com.rackflow.access.Scope;
import com.rackflow.contracts.ContractTransitions.Mover;
import com.rackflow.core.history.HistoryEntry;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.Guard;
import com.rackflow.core.persistence.IdempotencyClaim;
import com.rackflow.core.persistence.KeyQuery;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Page;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.core.records.AuditedRecords;
import com.rackflow.core.records.Reassignment;
import com.rackflow.core.records.RecordStore;
import com.rackflow.core.records.Requests;
import com.rackflow.core.records.ScopedQuery;
import com.rackflow.core.records.Stamps;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerStatus;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The contract module's rules (合同管理): contracts only for signed customers the caller may see, serials that are
 * unique and never reused, terms editable while DRAFT, the status table, soft deletion of drafts, history.
 * The public methods without a caller ({@link #find}, {@link #findBySerial}, {@link #contractsOf},
 * {@link #flowTransition}) are for the flows (racking, termination) and other modules.
 */
public final class ContractService {
    static final String TYPE = "CONTRACT";
    static final String SERIAL_GUARD = "CONTRACT_SERIAL";
    private static final String WHAT = "contract";
    private static final int SERIAL_ATTEMPTS = 5;

    private final Table table;
    private final AuditedRecords<Contract> records;
    private final CustomerService customers;
    private final StaffDirectory directory;

    public ContractService(Table table) {
        this.table = table;
        RecordStore<Contract> store = new RecordStore<>(table, TYPE, Contract.class, (c, item) -> {
            ScopedQuery.putIndexKeys(item, TYPE, c, c.createdAt(), c.contractId(), c.status().name());
            // status partitions sorted by end date: "ACTIVE contracts ending within 30/60/90 days" is one range Query
            item.put("gsi3sk", c.endDate() + "#" + c.contractId());
        });
        this.records = new AuditedRecords<>(store, RecordKind.CONTRACT, WHAT, this::linkToCustomer);
        this.customers = new CustomerService(table);
        this.directory = new StaffDirectory(table);
    }

    public Contract create(Caller caller, String customerId, ContractTerms terms) {
        return create(caller, customerId, terms, null);
    }

    /**
     * A DRAFT contract with the next serial of the business year. The serial comes from an atomic counter (a
     * separate write: a failed create leaves a gap, never a reused number); its guard and the contract are one
     * transaction, so a serial is never held without its contract. A taken serial (a counter mishap): the next one.
     */
    public Contract create(Caller caller, String customerId, ContractTerms terms, IdempotencyClaim claim) {
        AccessPolicy.requireCreator(caller, RecordKind.CONTRACT, WHAT);
        Customer customer = serviceableCustomer(caller, customerId);
        String id = UUID.randomUUID().toString();
        for (int attempt = 0; attempt < SERIAL_ATTEMPTS; attempt++) {
            String serial = nextSerial();
            String now = Instant.now().toString();
            Contract c = new Contract(id, serial, customer.customerId(), customer.code(), customer.companyName(),
                    terms.cabinets(), terms.uCount(), terms.powerKw(), terms.bandwidthMbps(), terms.ipCount(), terms.monthlyFee(),
                    "CNY", terms.startDate(), terms.endDate(), terms.notes(), ContractStatus.DRAFT, null, null, null,
                    customer.ownerId(), customer.departmentId(), caller.userId(), caller.departmentId(), now,
                    caller.userId(), caller.departmentId(), now, null, null, 1);
            try {
                return records.create(caller, c, null, claim,
                        uow -> uow.claim(new Guard(SERIAL_GUARD, serial), id, holder -> new SerialTaken()));
            } catch (SerialTaken e) {
                // next number
            }
        }
        throw new IllegalStateException("no free contract serial after " + SERIAL_ATTEMPTS + " attempts");
    }

    /** A serial already held by another contract (the counter was behind): nothing was written. */
    private static final class SerialTaken extends RuntimeException {
        SerialTaken() {
            super(null, null, false, false);
        }
    }

    private String nextSerial() {
        int year = Instant.now().atZone(Requests.BUSINESS_ZONE).getYear();
        long seq = table.increment(Keys.counter(TYPE + "#" + year));
        if (seq > ContractSerial.MAX_SEQUENCE) {
            throw ApiException.conflict("SERIALS_EXHAUSTED", "all contract serials of " + year + " are taken",
                    "本年度合同编号已用尽", Map.of("year", year));
        }
        return ContractSerial.of(year, seq);
    }

    /** The customer a contract may be made for: visible to the caller (else 404) and SIGNED or IN_SERVICE (else 409). */
    private Customer serviceableCustomer(Caller caller, String customerId) {
        Customer customer = customers.find(customerId).filter(c -> !c.isDeleted()).orElse(null);
        AccessPolicy.requireVisible(caller, RecordKind.CUSTOMER, customer, "customer");
        if (!CustomerStatus.SERVICEABLE.contains(customer.status())) {
            throw ApiException.conflict("CUSTOMER_NOT_SIGNED",
                    "customer " + customer.code() + " is " + customer.status() + " (" + customer.status().labelZh()
                            + "); contracts are made only for SIGNED or IN_SERVICE customers",
                    "客户 " + customer.code() + " 当前状态为" + customer.status().labelZh() + "，只有已签约或维护中的客户可以签订合同",
                    Map.of("customerStatus", customer.status().name(), "customerStatusLabel", customer.status().labelZh()));
        }
        return customer;
    }

    public Contract get(Caller caller, String id) {
        return records.visible(caller, id);
    }

    public Contract getBySerial(Caller caller, String serial) {
        ContractSerial.require("serial", serial);
        String id = table.holder(new Guard(SERIAL_GUARD, serial)).orElseThrow(() -> ApiException.notFound(WHAT));
        return records.visible(caller, id);
    }

    /** Changes the terms of a DRAFT contract. */
    public Contract change(Caller caller, String id, long expectedVersion, java.util.function.Function<ContractTerms, ContractTerms> edit) {
        return change(caller, id, expectedVersion, edit, Optional.empty(), null);
    }

    /** What moves with a contract to its new owner, in the contract's unit of work (its flows: flows.ContractFlows). */
    public interface OwnerFollowers {
        void follow(String contractId, String fromOwnerId, String toOwnerId, String toDepartmentId, String note, UnitOfWork uow);
    }

    /**
     * Changes the terms of a DRAFT contract ({@code edit}, null for none) and, for managers and admins, its owner in any
     * status (a reassignment within their scope, history REASSIGNED; {@code followers} move with it in the same unit of
     * work). A reassignment without new terms is not an edit of the contract, so it is not limited to drafts.
     */
    public Contract change(Caller caller, String id, long expectedVersion, java.util.function.Function<ContractTerms, ContractTerms> edit,
                           Optional<String> newOwner, OwnerFollowers followers) {
        Contract current = records.changeable(caller, id, expectedVersion);
        Contract next = current;
        if (edit != null) {
            if (current.status() != ContractStatus.DRAFT) {
                throw ApiException.conflict("NOT_EDITABLE",
                        "contract " + current.serial() + " is " + current.status() + "; only DRAFT contracts are edited",
                        "只有草稿状态的合同可以修改", Map.of("status", current.status().name()));
            }
            next = next.withTerms(edit.apply(current.terms()));
        }
        if (newOwner.isEmpty() || newOwner.get().equals(current.ownerId())) {
            // the owner it has already and no terms: nothing to write, nothing in its history
            return next == current ? current : records.save(caller, current, next, "CHANGED", null);
        }
        AccessPolicy.requireManagerOf(caller, RecordKind.CONTRACT, current, WHAT, "reassign a contract");
        StaffUser owner = AccessPolicy.requireAssignableOwner(caller, RecordKind.CONTRACT, directory.user(newOwner.get()), "ownerId");
        Contract moved = Stamps.with(next, Map.of("ownerId", owner.userId(), "departmentId", owner.departmentId()));
        return records.save(caller, current, moved, "REASSIGNED", null, uow ->
                followers.follow(id, current.ownerId(), owner.userId(), owner.departmentId(), null, uow));
    }

    public Contract transition(Caller caller, String id, ContractStatus to, String reason, long expectedVersion) {
        Contract current = records.changeable(caller, id, expectedVersion);
        Mover mover = AccessPolicy.isManagerOrAdmin(caller) ? Mover.MANAGER : Mover.STAFF;
        if (!ContractTransitions.allowed(current.status(), to, mover)) {
            List<String> allowed = ContractTransitions.targets(current.status(), mover).stream().map(Enum::name).toList();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("from", current.status().name());
            details.put("to", to.name());
            details.put("allowed", allowed);
            String why = ContractTransitions.find(current.status(), to).map(t -> " (only a manager may do this)").orElse("");
            throw ApiException.conflict("ILLEGAL_TRANSITION",
                    "cannot move a contract from " + current.status() + " to " + to + why + "; allowed: " + allowed,
                    "不允许的状态变更：" + current.status().labelZh() + " → " + to.labelZh(), details);
        }
        if (ContractTransitions.needsReason(to) && reason == null) {
            throw ApiException.invalid("reason", "required", "a reason is required to move a contract to " + to);
        }
        if (to == ContractStatus.ACTIVE) {
            serviceableCustomer(caller, current.customerId());
        }
        LocalDate today = LocalDate.now(Requests.BUSINESS_ZONE);
        if (to == ContractStatus.EXPIRED && !today.isAfter(current.endDate())) {
            throw ApiException.conflict("NOT_YET_EXPIRED", "contract " + current.serial() + " runs until " + current.endDate(),
                    "合同尚未到期（到期日 " + current.endDate() + "）", Map.of("endDate", current.endDate().toString()));
        }
        return records.save(caller, current, moved(current, to, reason), "STATUS_CHANGED", reason);
    }

    private static Contract moved(Contract c, ContractStatus to, String reason) {
        Map<String, Object> m = new HashMap<>();
        String now = Instant.now().toString();
        m.put("status", to.name());
        m.put("statusReason", reason);
        if (to == ContractStatus.ACTIVE) {
            m.put("activatedAt", now);
        } else {
            m.put("endedAt", now);
        }
        return Stamps.with(c, m);
    }

    /**
     * A move made by a flow or job (e.g. the termination flow: ACTIVE → TERMINATED). Idempotent: a contract already
     * in {@code to} is returned unchanged, so a retried step does nothing twice. 404 for an unknown id, 409 for a move
     * the table does not have.
     */
    public Contract flowTransition(String contractId, ContractStatus to, String actorId, String note) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Contract current = find(contractId).orElseThrow(() -> ApiException.notFound(WHAT));
            if (current.status() == to) {
                return current;
            }
            if (!ContractTransitions.allowed(current.status(), to, Mover.SYSTEM)) {
                throw ApiException.conflict("ILLEGAL_TRANSITION",
                        "cannot move contract " + current.serial() + " from " + current.status() + " to " + to,
                        "不允许的状态变更：" + current.status().labelZh() + " → " + to.labelZh(),
                        Map.of("from", current.status().name(), "to", to.name()));
            }
            Optional<Contract> saved = records.saveAsSystem(current, moved(current, to, note), actorId, "STATUS_CHANGED", note);
            if (saved.isPresent()) {
                return saved.get();
            }
        }
        throw ApiException.versionConflict(-1);
    }

    /** Soft delete: only DRAFT contracts (an ACTIVE or ended contract is never deleted, only terminated or voided). */
    public Contract delete(Caller caller, String id, long expectedVersion) {
        return records.delete(caller, id, expectedVersion, c -> {
            if (c.status() != ContractStatus.DRAFT) {
                throw ApiException.conflict("NOT_DELETABLE",
                        "contract " + c.serial() + " is " + c.status() + "; only DRAFT contracts are deleted, others are voided or terminated",
                        "只有草稿合同可以删除", Map.of("status", c.status().name()));
            }
        });
    }

    public Contract restore(Caller caller, String id) {
        return records.restore(caller, id);
    }

    /** Staff departure: moves the contract from one owner to a colleague for {@code actor} (idempotent; see AuditedRecords). */
    public Reassignment reassign(Caller actor, String id, String fromOwnerId, String toOwnerId, String toDepartmentId, String note,
                                 Consumer<UnitOfWork> with) {
        return records.reassign(actor, id, fromOwnerId, toOwnerId, toDepartmentId, note, with);
    }

    public Page<HistoryEntry> history(Caller caller, String id, String cursor, int limit) {
        return records.history(caller, id, cursor, limit);
    }

    /** Filters of the contract list besides the caller's scope. */
    public record ListFilter(String customerId, ContractStatus status, String ownerId, boolean deleted) {
    }

    /**
     * One page of the contracts in the caller's scope: one customer's (its link items), or the owner / department /
     * status partitions the scope chooses.
     */
    public Page<Contract> list(Caller caller, ListFilter f, String cursor, int limit) {
        if (f.deleted() && !AccessPolicy.isManagerOrAdmin(caller)) {
            throw ApiException.forbidden("only a regional manager or an admin may list deleted contracts");
        }
        Scope scope = AccessPolicy.scope(caller, RecordKind.CONTRACT);
        if (f.customerId() != null) {
            return records.store().linked(CUSTOMER_TYPE, f.customerId(), cursor, limit, c -> scope.includes(c)
                    && (f.status() == null || c.status() == f.status()) && (c.deletedAt() != null) == f.deleted());
        }
        List<String> statuses = f.status() != null ? List.of(f.status().name())
                : Arrays.stream(ContractStatus.values()).map(Enum::name).toList();
        var q = ScopedQuery.deleted(f.deleted()).eq("status", f.status() == null ? null : f.status().name())
                .eq("ownerId", f.ownerId());
        return records.store().page(q.partitions(scope, TYPE, f.ownerId(), statuses), cursor, limit, scope::includes);
    }

    // ---- for other modules and flows (no caller: they check their own rights) ----

    /** A contract by id, whatever the caller (deleted ones included; check {@code deletedAt}). */
    public Optional<Contract> find(String contractId) {
        return records.find(contractId);
    }

    /**
     * Live ACTIVE contracts whose end date lies between two days (inclusive), soonest first: the expiry report and
     * its reminders. One Query on the ACTIVE status partition, sorted by end date.
     */
    public List<Contract> activeEndingBetween(LocalDate from, LocalDate to) {
        var q = ScopedQuery.deleted(false).apply(KeyQuery.between(Keys.GSI_KIND, Keys.statusPartition(TYPE, ContractStatus.ACTIVE.name()),
                from.toString(), to + "#~")).oldestFirst();
        return table.queryAll(q).stream().map(records.store()::fromItem).toList();
    }

    /** A contract by serial; empty for an unknown or malformed serial. */
    public Optional<Contract> findBySerial(String serial) {
        if (!ContractSerial.isWellFormed(serial)) {
            return Optional.empty();
        }
        return table.holder(new Guard(SERIAL_GUARD, serial)).flatMap(this::find);
    }

    /** Every live contract of a customer, oldest first (e.g. "does an ACTIVE contract remain?"). */
    public List<Contract> contractsOf(String customerId) {
        return records.store().links(CUSTOMER_TYPE, customerId).stream()
                .map(l -> find(l.get("childId").s()).orElse(null))
                .filter(c -> c != null && c.deletedAt() == null).toList();
    }

    /** A contract as a customer's link item names it: enough for pickers and flows without reading the contract. */
    public record ContractRef(String contractId, String serial, ContractStatus status) {
    }

    /** The live, not voided contracts of a customer, oldest first, from its link items (one Query). */
    public List<ContractRef> refsOf(String customerId) {
        return records.store().links(CUSTOMER_TYPE, customerId).stream()
                .filter(l -> !l.containsKey("deletedAt") && !ContractStatus.VOID.name().equals(l.get("status").s()))
                .map(l -> new ContractRef(l.get("childId").s(), l.get("serial").s(), ContractStatus.valueOf(l.get("status").s())))
                .toList();
    }

    /** The serials a customer's picker entry shows: every live, not voided contract's. */
    public List<String> serialsOf(String customerId) {
        return refsOf(customerId).stream().map(ContractRef::serial).toList();
    }

    private static final String CUSTOMER_TYPE = "CUSTOMER";

    /** The customer's link item to this contract, written with the contract when what it repeats changes (pickers read it). */
    private void linkToCustomer(Contract before, Contract c, UnitOfWork uow) {
        if (before != null && before.status() == c.status() && java.util.Objects.equals(before.deletedAt(), c.deletedAt())) {
            return;
        }
        Map<String, String> attrs = new HashMap<>();
        attrs.put("serial", c.serial());
        attrs.put("status", c.status().name());
        attrs.put("deletedAt", c.deletedAt());
        records.store().link(uow, CUSTOMER_TYPE, c.customerId(), c, attrs);
    }

    private static final List<String> SHOWN = List.of("contractId", "serial", "customerId", "customerCode", "customerName",
            "cabinets", "uCount", "powerKw", "bandwidthMbps", "ipCount", "monthlyFee", "currency", "startDate", "endDate",
            "notes", "status", "statusReason", "activatedAt", "endedAt", "ownerId", "departmentId", "createdBy", "createdByDepartmentId", "createdAt", "updatedBy", "modifiedByDepartmentId", "updatedAt", "deletedAt", "deletedBy", "version");

    static Object view(Contract c) {
        var o = ScopedQuery.view(c, SHOWN, "statusLabel", c.status().labelZh());
        o.put("monthlyFee", c.monthlyFee().setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString());
        return o;
    }
}
