package dev.featurestore.arrow;

import dev.featurestore.api.FeatureStoreException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** Creates Arrow allocators and turns Arrow's failure to start without the JVM flag into our error. */
final class ArrowMemory {
    static final String FLAG = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    private ArrowMemory() {
    }

    private static volatile boolean probed;

    /**
     * A fresh root allocator; close it after use. The first call checks that Arrow can hand its
     * memory to NIO channels, which is what fails without the flag.
     */
    static BufferAllocator allocator() {
        BufferAllocator alloc;
        try {
            alloc = new RootAllocator(Long.MAX_VALUE);
        } catch (LinkageError | RuntimeException e) {
            throw missingFlag(e);
        }
        if (!probed) {
            try (ArrowBuf buf = alloc.buffer(8)) {
                buf.nioBuffer(0, 8);
                probed = true;
            } catch (LinkageError | RuntimeException e) {
                alloc.close();
                throw missingFlag(e);
            }
        }
        return alloc;
    }

    private static FeatureStoreException missingFlag(Throwable e) {
        return new FeatureStoreException("Apache Arrow cannot start: on JDK 17 and later run the JVM with " + FLAG
                + " (Maven Surefire: <argLine>" + FLAG + "</argLine>; an executable jar's manifest: Add-Opens:"
                + " java.base/java.nio). Cause: " + rootMessage(e), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }
}
