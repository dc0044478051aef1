package com.rackflow.workitems;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/** Answers a waiting callback task (SendTaskSuccess / SendTaskFailure). */
public interface TaskCallbacks {

    /** DELIVERED, or STALE when the token no longer waits (timed out, already answered): the next token gets it. */
    enum Delivery { DELIVERED, STALE }

    Delivery success(String taskToken, JsonNode output);

    Delivery failure(String taskToken, String error, String cause);

    static TaskCallbacks of(SfnClient sfn) {
        return new TaskCallbacks() {
            @Override
            public Delivery success(String taskToken, JsonNode output) {
                try {
                    sfn.sendTaskSuccess(b -> b.taskToken(taskToken).output(Json.write(output)));
                    return Delivery.DELIVERED;
                } catch (TaskTimedOutException | InvalidTokenException | TaskDoesNotExistException e) {
                    Log.warn("task token no longer waiting", "errorType", e.getClass().getSimpleName());
                    return Delivery.STALE;
                }
            }

            @Override
            public Delivery failure(String taskToken, String error, String cause) {
                try {
                    sfn.sendTaskFailure(b -> b.taskToken(taskToken).error(error).cause(cause));
                    return Delivery.DELIVERED;
                } catch (TaskTimedOutException | InvalidTokenException | TaskDoesNotExistException e) {
                    Log.warn("task token no longer waiting", "errorType", e.getClass().getSimpleName());
                    return Delivery.STALE;
                }
            }
        };
    }
}
