package org.rnn4j.io;

import java.util.Set;

/**
 * The element types rnn4j reads and writes in safetensors files, named as in the format's header
 * ({@code "dtype": "F32"}). All are stored little-endian. Model files use {@link #F32} only; {@link #I64}
 * is what PyTorch writes for token ids.
 */
public enum DType {
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary64. */
    F64(8),
    /** Two's-complement 32-bit integer. */
    I32(4),
    /** Two's-complement 64-bit integer. */
    I64(8);

    /**
     * Every dtype name the safetensors format defines, including those rnn4j does not read; used to tell
     * "valid but unsupported" from "not a dtype at all" in error messages.
     */
    static final Set<String> SAFETENSORS_NAMES = Set.of(
            "BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64", "I64",
            "F16", "BF16", "F32", "F64", "C64",
            "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4");

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The dtype with this header name ({@code "F32"}, ...), or {@code null} if rnn4j does not read it. */
    static DType fromHeaderName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
