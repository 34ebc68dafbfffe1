package org.openepro.staff;

import org.openepro.core.http.ApiException;
import org.openepro.core.http.Caller;
import org.openepro.core.http.ProblemType;

/**
 * Who may read a study's data: staff with the alerts scope who are assigned to it. A study the
 * caller is not assigned to is answered like data that does not exist (404), so that ids seen in
 * alert messages tell an outsider nothing.
 */
final class StudyAccess {
    private StudyAccess() {}

    static void require(Caller caller, String studyId, String notFoundDetail) {
        caller.requireScope(Caller.SCOPE_ALERTS);
        if (!caller.assignedTo(studyId)) {
            throw notFound(notFoundDetail);
        }
    }

    static ApiException notFound(String detail) {
        return ApiException.of(ProblemType.NOT_FOUND, detail);
    }

    /** Reads are audited under the token's subject: a token without one cannot read answers. */
    static void requireSubject(Caller caller) {
        if (caller.tokenSubject().isBlank()) {
            throw ApiException.of(ProblemType.FORBIDDEN, "The token has no subject to record in the audit trail.");
        }
    }
}
