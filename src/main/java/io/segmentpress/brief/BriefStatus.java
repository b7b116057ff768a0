package io.segmentpress.brief;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a brief is in its life: proposed → accepted → scheduled → published → measured, or
 * dismissed from any state before published. {@code measured} is set by the service, never by a caller.
 */
public enum BriefStatus {
    PROPOSED, ACCEPTED, SCHEDULED, PUBLISHED, MEASURED, DISMISSED;

    /** The lower-case name used in the API and the database. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BriefStatus fromApiName(String name) {
        for (BriefStatus status : values()) {
            if (status.apiName().equals(name)) {
                return status;
            }
        }
        return null;
    }

    /** The states a caller may move a brief to with PATCH. */
    public static final Set<BriefStatus> SETTABLE = EnumSet.of(ACCEPTED, SCHEDULED, PUBLISHED, DISMISSED);

    /** Open briefs block a new proposal for the same segment and topic. */
    public boolean isOpen() {
        return this == PROPOSED || this == ACCEPTED || this == SCHEDULED;
    }

    /**
     * Whether a caller may move a brief from this state to {@code target}. Repeating the current
     * state is allowed for {@code scheduled} (to reschedule); other repeats are no-ops the service
     * answers without change.
     */
    public boolean canMoveTo(BriefStatus target) {
        return switch (this) {
            case PROPOSED -> target == ACCEPTED || target == DISMISSED;
            case ACCEPTED -> target == SCHEDULED || target == DISMISSED;
            case SCHEDULED -> target == SCHEDULED || target == PUBLISHED || target == DISMISSED;
            case PUBLISHED -> target == MEASURED;
            case MEASURED, DISMISSED -> false;
        };
    }
}
