use quarry::prelude::*;

quarry::table! {
    enrolments (student_id, course_id) {
        student_id -> Integer,
        course_id -> Integer,
        grade -> Text,
    }
}

fn main() {
    let _ = enrolments::table
        .group_by(enrolments::student_id)
        .select(enrolments::grade);
}
