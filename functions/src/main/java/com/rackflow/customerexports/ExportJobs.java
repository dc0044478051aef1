package com.rackflow.customerexports;

import com.rackflow.access.AccessPolicy;
import com.rackflow.access.Caller;
import com.rackflow.access.Module;
import com.rackflow.core.aws.S3Files;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.persistence.Items;
import com.rackflow.core.persistence.Keys;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.spreadsheet.Csv;
import com.rackflow.core.spreadsheet.Xlsx;
import com.rackflow.customers.CustomerExport;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerStatus;
import com.rackflow.customers.CustomerStore;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Exports of customers too large for one API answer (客户导出任务): the API records the job (QUEUED) and hands it to
 * the export job function asynchronously; the job reads the customers with the list's scope and filters — the
 * requester's rights as the directory has them when it runs — writes the spreadsheet to {@code exports/<id>.<ext>} in
 * the files bucket and marks the job DONE; the requester then gets a presigned GET of the file.
 */
public final class ExportJobs {
    /** The most rows one export job writes. */
    public static final int MAX_ROWS = 200_000;
    static final Duration DOWNLOAD_VALID = Duration.ofMinutes(15);
    private static final int ATTEMPTS = 10;

    private final Table table;
    private final S3Files files;
    private final CustomerExport export;
    private final StaffDirectory directory;

    public ExportJobs(Table table, S3Files files) {
        this.table = table;
        this.files = files;
        this.directory = new StaffDirectory(table);
        this.export = new CustomerExport(new CustomerService(table), directory);
    }

    /** Records a queued export of what {@code caller} may see with these filters. */
    public CustomerExportJob queue(Caller caller, String format, CustomerStatus status, String owner, String q, boolean deleted) {
        AccessPolicy.requireModule(caller, Module.CUSTOMERS);
        String id = "CE" + LocalDate.now(com.rackflow.core.records.Requests.BUSINESS_ZONE).toString().replace("-", "") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        String fileName = "客户导出-" + LocalDate.now(com.rackflow.core.records.Requests.BUSINESS_ZONE) + "." + format;
        CustomerExportJob job = new CustomerExportJob(id, CustomerExportJob.Status.QUEUED, format,
                status == null ? null : status.name(), owner, q, deleted, caller.userId(), caller.departmentId(),
                "exports/" + id + "." + format, fileName, null, null, Instant.now().toString(), null, 1);
        if (!table.putIfAbsent(item(job))) {
            throw new IllegalStateException("export " + id + " exists");
        }
        return job;
    }

    /** The job, for the person who asked for it only (404 for anyone else, as an out-of-scope record). */
    public CustomerExportJob get(Caller caller, String exportId) {
        return find(exportId).filter(j -> j.requestedBy().equals(caller.userId()))
                .orElseThrow(() -> ApiException.notFound("customer export"));
    }

    /** A presigned GET of a DONE job's file. */
    public String downloadUrl(CustomerExportJob job) {
        return files.presignGet(job.fileKey(), job.fileName(), DOWNLOAD_VALID);
    }

    /**
     * Runs a queued job once (a repeated delivery finds it taken): writes the file and marks it DONE; a refusal (too
     * many rows, the requester no longer active) marks it FAILED with why.
     */
    public CustomerExportJob run(String exportId) {
        CustomerExportJob queued = find(exportId).orElseThrow(() -> new IllegalArgumentException("no export " + exportId));
        if (queued.status() != CustomerExportJob.Status.QUEUED) {
            return queued;
        }
        CustomerExportJob job = update(exportId, cur -> cur.status() == CustomerExportJob.Status.QUEUED ? cur.running() : cur);
        if (job.version() != queued.version() + 1) {
            return job;
        }
        try {
            StaffUser u = directory.user(job.requestedBy()).filter(StaffUser::isActive)
                    .orElseThrow(() -> ApiException.forbidden("the person who asked for the export is no longer active"));
            Caller caller = new Caller(u.userId(), u.role(), u.departmentId());
            CustomerStore.ListFilter filter = new CustomerStore.ListFilter(
                    job.statusFilter() == null ? null : CustomerStatus.valueOf(job.statusFilter()), job.owner(), job.q(), job.deleted());
            List<List<Object>> rows = export.rows(caller, filter, MAX_ROWS);
            byte[] body = job.format().equals("csv")
                    ? Csv.of(CustomerExport.HEADINGS, rows).getBytes(StandardCharsets.UTF_8)
                    : Xlsx.of("客户", CustomerExport.HEADINGS, rows);
            files.write(job.fileKey(), body, job.format().equals("csv") ? Csv.CONTENT_TYPE : Xlsx.CONTENT_TYPE);
            String now = Instant.now().toString();
            return update(exportId, cur -> cur.status() == CustomerExportJob.Status.RUNNING ? cur.done(rows.size(), now) : cur);
        } catch (ApiException e) {
            String now = Instant.now().toString();
            return update(exportId, cur -> cur.status() == CustomerExportJob.Status.RUNNING ? cur.failed(e.getMessage(), now) : cur);
        }
    }

    private Optional<CustomerExportJob> find(String exportId) {
        if (exportId == null || exportId.isBlank() || exportId.length() > 64) {
            return Optional.empty();
        }
        return table.get(Keys.record(Keys.CUSTOMER_EXPORT, exportId)).map(i -> Items.toRecord(i, CustomerExportJob.class));
    }

    private Map<String, AttributeValue> item(CustomerExportJob j) {
        Map<String, AttributeValue> item = new HashMap<>(Items.fromRecord(j));
        item.putAll(Keys.record(Keys.CUSTOMER_EXPORT, j.exportId()).toMap());
        return item;
    }

    private CustomerExportJob update(String exportId, UnaryOperator<CustomerExportJob> change) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            CustomerExportJob current = find(exportId).orElseThrow();
            CustomerExportJob next = change.apply(current);
            if (next == current || table.putIfVersion(item(next), current.version())) {
                return next;
            }
        }
        throw new IllegalStateException("export " + exportId + " kept changing");
    }
}
