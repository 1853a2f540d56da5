package io.tusk.control.api;

/**
 * Prices in the smallest currency unit: storage per unit ({@code unitSize} bytes of encoded size, 1 MiB) per epoch,
 * and the one-time write price per unit. A blob costs {@code units * (storagePrice * epochs + writePrice)} with
 * {@code units = ceil(encodedSize / unitSize)}.
 */
public record PriceInfo(long storagePricePerUnitPerEpoch, long writePricePerUnit, long unitSize) {}
