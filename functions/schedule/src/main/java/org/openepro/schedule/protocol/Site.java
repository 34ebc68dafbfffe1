package org.openepro.schedule.protocol;

import java.time.ZoneId;

/** A study site and its IANA time zone (the default zone of the subjects it enrolls). */
public record Site(String siteId, ZoneId zone) {}
