package org.openepro.bench.variant;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.openepro.index.IndexReportHandler;

/**
 * A measured variant, not deployed: index-report's handler behind a {@code RequestStreamHandler} that
 * reads the SQS event with the function's own Jackson ({@link SqsEventCodec}), to compare with the
 * runtime client's POJO serializer (and its joda-time) in one cold-start run (bench/README.md).
 */
public final class StreamingIndexHandler implements RequestStreamHandler {
    private final IndexReportHandler handler = new IndexReportHandler();

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        SqsEventCodec.write(handler.handleRequest(SqsEventCodec.read(in), context), out);
    }
}
