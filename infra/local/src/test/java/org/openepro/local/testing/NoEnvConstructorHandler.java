package org.openepro.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.Map;

/** Test-only: a handler without the (env, aws) constructor the local runtime needs. */
public final class NoEnvConstructorHandler {
    public Object handleRequest(Map<String, Object> event, Context context) {
        return null;
    }
}
