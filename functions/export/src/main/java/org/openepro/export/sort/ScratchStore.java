package org.openepro.export.sort;

import java.io.IOException;
import java.io.InputStream;

/** Where a sorting export keeps its sorted runs while it merges them: objects it writes once and reads once. */
public interface ScratchStore {
    void put(String name, byte[] bytes) throws IOException;

    InputStream open(String name) throws IOException;

    void delete(String name);
}
