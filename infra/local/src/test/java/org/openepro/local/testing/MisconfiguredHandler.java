package org.openepro.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.Map;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.config.Env;

/** Test-only: a handler whose constructor needs a variable its template entry does not set. */
public final class MisconfiguredHandler {
    public MisconfiguredHandler(Map<String, String> env, AwsClients aws) {
        Env.required(env, "TABLE_THAT_IS_NOT_SET");
    }

    public Object handleRequest(Map<String, Object> event, Context context) {
        return null;
    }
}
