package io.segmentpress.common.error;

import java.util.ArrayList;
import java.util.List;

/** Collects every invalid field of a request so that one 400 can name them all. */
public final class Violations {

    private final List<FieldError> errors = new ArrayList<>();

    public Violations add(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    /** Adds {@code message} for {@code field} when {@code valid} is false. */
    public Violations check(boolean valid, String field, String message) {
        if (!valid) {
            add(field, message);
        }
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    /** Throws a 400 listing every collected error, if there is any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).message()
                    : errors.size() + " fields are invalid", errors());
        }
    }
}
