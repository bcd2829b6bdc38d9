"""One thread from several sources (issue 15): the platform's own data parsed from recorded
responses, standard markup (schema.org, microformats, ActivityStreams, OpenGraph), and a
generic reader of the rendered page; merged, with a completeness verdict.

Beneath the engine, beside ``sites``: pure functions over bytes and documents, no browser.
"""
