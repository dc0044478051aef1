package com.rackflow.local.stepfunctions.intrinsics;

/** The 18 intrinsic functions of Step Functions, with their names as written in a definition. */
public enum IntrinsicFunction {
    FORMAT("States.Format"),
    STRING_TO_JSON("States.StringToJson"),
    JSON_TO_STRING("States.JsonToString"),
    ARRAY("States.Array"),
    ARRAY_PARTITION("States.ArrayPartition"),
    ARRAY_CONTAINS("States.ArrayContains"),
    ARRAY_RANGE("States.ArrayRange"),
    ARRAY_GET_ITEM("States.ArrayGetItem"),
    ARRAY_LENGTH("States.ArrayLength"),
    ARRAY_UNIQUE("States.ArrayUnique"),
    BASE64_ENCODE("States.Base64Encode"),
    BASE64_DECODE("States.Base64Decode"),
    HASH("States.Hash"),
    JSON_MERGE("States.JsonMerge"),
    MATH_RANDOM("States.MathRandom"),
    MATH_ADD("States.MathAdd"),
    STRING_SPLIT("States.StringSplit"),
    UUID("States.UUID");

    private final String functionName;

    IntrinsicFunction(String functionName) {
        this.functionName = functionName;
    }

    public String functionName() {
        return functionName;
    }

    public static IntrinsicFunction byName(String name) {
        for (IntrinsicFunction f : values()) {
            if (f.functionName.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
