package org.openepro.bench.variant;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.openepro.submit.SubmitReportHandler;

/**
 * A measured variant, not deployed: submit-report's handler behind a {@code RequestStreamHandler} that
 * reads the event with the function's own Jackson ({@link HttpApiEventCodec}), to compare with the
 * runtime client's POJO serializer in one cold-start run (bench/README.md).
 */
public final class StreamingSubmitHandler implements RequestStreamHandler {
    private final SubmitReportHandler handler = new SubmitReportHandler();

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        HttpApiEventCodec.write(handler.handleRequest(HttpApiEventCodec.read(in), context), out);
    }
}
