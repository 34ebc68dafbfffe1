package org.openepro.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.Map;

/** Test-only: a handler whose constructor (run in the init phase) fails, as one missing its configuration would. */
public final class FailingInitHandler {
    public FailingInitHandler() {
        throw new IllegalStateException("TABLE_THAT_IS_NOT_SET is not set");
    }

    public Object handleRequest(Map<String, Object> event, Context context) {
        return null;
    }
}
