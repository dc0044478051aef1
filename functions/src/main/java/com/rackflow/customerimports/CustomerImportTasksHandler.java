package com.rackflow.customerimports;

import com.rackflow.core.aws.S3Files;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;
import com.rackflow.workitems.FlowStarter;
import com.rackflow.workitems.FlowTaskHandler;

/** The customer import state machine's task function (see {@link ImportFlow}). */
public class CustomerImportTasksHandler extends FlowTaskHandler {

    public CustomerImportTasksHandler() {
        this(Dynamo.table(), S3Files.bucket());
    }

    public CustomerImportTasksHandler(Table table, S3Files files) {
        super(flow(table, files), ImportFlow.SYSTEM);
    }

    public static ImportFlow flow(Table table, S3Files files) {
        return new ImportFlow(new ImportService(table, files, FlowStarter.none(), ""));
    }
}
