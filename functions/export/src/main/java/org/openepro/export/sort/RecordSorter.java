package org.openepro.export.sort;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.openepro.export.format.ExportRecord;

/**
 * Orders an export's records with bounded memory (an external merge sort): records are held up to
 * {@code runRecords} at a time; each full batch is sorted and spilled to the scratch store as a run; at
 * the end the runs and the last batch are merged, reading each run as a stream. Ties keep the order the
 * records were read in. Memory holds one batch, then one buffered record per run. Not thread-safe.
 */
public final class RecordSorter implements AutoCloseable {
    private final Comparator<RecordCodec.Sorted> order;
    private final ScratchStore scratch;
    private final int runRecords;
    private final List<RecordCodec.Sorted> batch = new ArrayList<>();
    private final List<String> runs = new ArrayList<>();
    private final List<DataInputStream> open = new ArrayList<>();
    private long seq;

    public RecordSorter(Comparator<ExportRecord> order, ScratchStore scratch, int runRecords) {
        Comparator<RecordCodec.Sorted> byRecord = (a, b) -> order.compare(a.record(), b.record());
        this.order = byRecord.thenComparingLong(RecordCodec.Sorted::seq);
        this.scratch = scratch;
        this.runRecords = runRecords;
    }

    public void add(ExportRecord record) throws IOException {
        batch.add(new RecordCodec.Sorted(seq++, record));
        if (batch.size() >= runRecords) {
            spill();
        }
    }

    /** How many runs went to the scratch store so far. */
    public int runs() {
        return runs.size();
    }

    private void spill() throws IOException {
        batch.sort(order);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.size() * 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (RecordCodec.Sorted s : batch) {
                RecordCodec.write(out, s.seq(), s.record());
            }
        }
        String name = "run-" + runs.size() + ".bin";
        scratch.put(name, bytes.toByteArray());
        runs.add(name);
        batch.clear();
    }

    /** Every record added, in order. Call once, after the last {@link #add}. */
    public Iterator<ExportRecord> sorted() throws IOException {
        batch.sort(order);
        if (runs.isEmpty()) {
            Iterator<RecordCodec.Sorted> it = batch.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public ExportRecord next() {
                    return it.next().record();
                }
            };
        }
        // each source: a run read back as a stream, or the last batch still in memory
        PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> order.compare(a.current, b.current));
        for (String run : runs) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(scratch.open(run), 64 * 1024));
            open.add(in);
            Head h = new Head(() -> RecordCodec.read(in));
            if (h.advance()) {
                heads.add(h);
            }
        }
        Iterator<RecordCodec.Sorted> last = batch.iterator();
        Head memory = new Head(() -> last.hasNext() ? last.next() : null);
        if (memory.advance()) {
            heads.add(memory);
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public ExportRecord next() {
                Head h = heads.poll();
                if (h == null) {
                    throw new NoSuchElementException();
                }
                ExportRecord r = h.current.record();
                try {
                    if (h.advance()) {
                        heads.add(h);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return r;
            }
        };
    }

    /** Closes the runs' streams and deletes the runs. */
    @Override
    public void close() {
        for (DataInputStream in : open) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the scratch object goes anyway
            }
        }
        for (String run : runs) {
            scratch.delete(run);
        }
        runs.clear();
    }

    private interface Source {
        RecordCodec.Sorted next() throws IOException;
    }

    private static final class Head {
        private final Source source;
        RecordCodec.Sorted current;

        Head(Source source) {
            this.source = source;
        }

        boolean advance() throws IOException {
            current = source.next();
            return current != null;
        }
    }
}
