//! The CloudTrail simulator behind `trailsight generate` and the demo data. (Issue 4.)
