package io.milvus.migration.es;

import io.milvus.migration.spi.FieldSchema;

/**
 * How one schema field is read from a hit.
 *
 * @param schema     the field as the collection has it
 * @param esType     the mapping's type ("" if the mapping does not hold the field)
 * @param fromFields whether the value comes from the hit's {@code fields} (not in {@code _source})
 * @param epochDate  whether it is a date read from doc values as epoch milliseconds (nanoseconds if {@code nanos})
 * @param isId       whether it is the document's {@code _id}
 */
record EsField(FieldSchema schema, String esType, boolean fromFields, boolean epochDate, boolean isId) {
    String name() {
        return schema.name();
    }

    boolean nanos() {
        return esType.equals("date_nanos");
    }
}
