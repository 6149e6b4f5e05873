package archfixtures.persistenceleak.adapters.http;

import org.hibernate.StaleObjectStateException;

public final class ConflictProblemMapper {

    public int status(StaleObjectStateException conflict) {
        return conflict.getEntityName() == null ? 500 : 409;
    }
}
