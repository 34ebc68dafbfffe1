package org.openepro.core.audit;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.openepro.core.http.Caller;

/**
 * Who an audit event says acted: the token's subject (a pseudonymous id) and the roles it acted
 * in, always in {@link ActorRole}'s order, so the same actor is recorded the same way everywhere.
 */
public record Actor(String subject, Set<ActorRole> roles) {
    public Actor {
        Objects.requireNonNull(subject, "subject");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("an actor acts in at least one role");
        }
        roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    /** A study participant acting through the app. */
    public static Actor patient(Caller caller) {
        return new Actor(caller.tokenSubject(), EnumSet.of(ActorRole.PATIENT));
    }

    /** A staff member, with the known roles of their token ({@link ActorRole#STAFF} when none). */
    public static Actor staff(Caller caller) {
        EnumSet<ActorRole> roles = EnumSet.noneOf(ActorRole.class);
        caller.roles().forEach(r -> ActorRole.ofClaim(r).ifPresent(roles::add));
        if (roles.isEmpty()) {
            roles.add(ActorRole.STAFF);
        }
        return new Actor(caller.tokenSubject(), roles);
    }

    /** The roles as stored in the audit table's {@code actorRole}: codes in enum order, space-separated. */
    public String roleCodes() {
        return roles.stream().map(ActorRole::code).collect(Collectors.joining(" "));
    }
}
